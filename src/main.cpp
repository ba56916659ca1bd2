// relaymon: a terminal monitor for Tor relays. Everything lives in the
// layer libraries; main only hands over to the app.
#include "app/main.h"

int main(int argc, char** argv) { return relaymon::app::main(argc, argv); }
