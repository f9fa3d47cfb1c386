"""``python -m realize``: the same as the ``realize`` command."""

from realize.cli import main

if __name__ == "__main__":
    main()
