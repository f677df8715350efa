"""Code the tests and the benchmarks share: the local server, the Chromium launch, and helpers.

Plain modules, imported as ``tests.support.<module>`` (the repository root is on ``sys.path``);
fixtures stay in the ``conftest.py`` files.
"""
