// Shared texts (text/label.h) under the model's names: the system layer's
// sockets hold them too, so the type lives in the text layer below both.
#pragma once

#include "text/label.h"

namespace relaymon::model {

using text::Label;
using text::LabelCache;

}  // namespace relaymon::model
