#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <vector>

#include "system/inode_set.h"

using relaymon::system::InodeSet;

TEST_CASE("an inode set holds each inode once and finds it after growing", "[inodes]") {
  InodeSet set;
  CHECK(set.empty());
  CHECK_FALSE(set.contains(42));
  std::set<unsigned long> expected;
  // Sequential inodes (as the kernel hands them out) and scattered ones,
  // past several growths of the table.
  for (unsigned long i = 0; i < 5000; ++i) {
    unsigned long inode = i % 2 ? 1189000 + i : i * 7919;
    CHECK(set.insert(inode) == expected.insert(inode).second);
  }
  CHECK_FALSE(set.insert(1189001));  // already there
  CHECK(set.size() == expected.size());
  for (unsigned long inode : expected) CHECK(set.contains(inode));
  CHECK_FALSE(set.contains(1189000));  // an even i never made this one
  CHECK_FALSE(set.contains(99999999));

  // Iteration visits every inode once, 0 included (kept apart: 0 marks an
  // empty slot in the table).
  std::vector<unsigned long> seen(set.begin(), set.end());
  std::sort(seen.begin(), seen.end());
  CHECK(seen == std::vector<unsigned long>(expected.begin(), expected.end()));
  CHECK(expected.count(0) == 1);
  CHECK(set.contains(0));
}

TEST_CASE("an inode set without inode 0 does not claim it", "[inodes]") {
  InodeSet set{5, 6, 7};
  CHECK_FALSE(set.contains(0));
  CHECK(set.size() == 3);
  std::vector<unsigned long> seen(set.begin(), set.end());
  std::sort(seen.begin(), seen.end());
  CHECK(seen == std::vector<unsigned long>{5, 6, 7});
  InodeSet none;
  CHECK(none.begin() == none.end());
}
