#include "core/common.h"
#include "cli/cli.h"
#include "cli/commands.h"
int hd_cmd_lint(int argc, char **argv) { (void)argc; (void)argv; return 0; }
