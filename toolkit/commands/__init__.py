"""One module per ``runbook`` subcommand, all on one pattern: ``add_parser(commands)`` declares its arguments
and ``run(args) -> int`` does the work and returns the exit code. ``toolkit.cli`` only assembles them.

Each module imports the wing it drives inside ``run``. A command line that names its command loads that module
alone (``toolkit.cli.chosen``), but ``runbook --help`` builds every command's parser, so a module's top-level
imports stay small.
"""
