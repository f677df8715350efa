"""Real-browser tests: the built site served locally and driven in Chromium."""
