from tests.watch.builders import silent_vendor, vendor  # noqa: F401  (fixtures)
