"""``python -m floodcast``: the ``floodcast`` command line."""

from floodcast.cli import main

if __name__ == "__main__":
    main()
