import sys

from kb.html_safety import main

sys.exit(main())
