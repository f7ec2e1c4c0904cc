"""One module per ``runbook`` subcommand, all on one pattern: ``add_parser(commands)`` declares its arguments
and ``run(args) -> int`` does the work and returns the exit code. ``toolkit.cli`` only assembles them.

Each module imports the wing it drives inside ``run``: the parser is built for every command, so a module's
top-level imports are paid by every command's start-up.
"""
