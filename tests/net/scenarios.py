"""What the host does against each test firmware of tests/net (run_net.py)."""


def console(board):
    """Nothing from the host: the firmware tests itself, --expect judges."""


SCENARIOS = {
    "console": console,
}
