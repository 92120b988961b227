"""`python -m frontwire` is the `frontwire` command."""

from frontwire.cli import main

raise SystemExit(main())
