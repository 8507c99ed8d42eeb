"""Public-domain sample portraits, read from installed packages (never committed here, and
never a resident's photo): for tests, the benchmark and the sandbox's demo residents.

* scikit-image's ``skimage/data/astronaut.png`` — NASA portrait of Eileen Collins (public
  domain, a work of the US government);
* matplotlib's ``matplotlib/mpl-data/sample_data/grace_hopper.jpg`` — US Navy portrait of
  Grace Hopper (public domain, a work of the US government).

Both packages are in the ``demo`` extra (and in ``dev``); without one, its portrait is
simply absent from :func:`available`.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Portrait:
    """A sample portrait: who, where it comes from, and how to read it."""

    name: str
    package: str          # the importable package that holds it
    resource: str         # its path inside that package
    distribution: str     # what to pip-install to get it

    def installed(self) -> bool:
        # find_spec reads no module code: matplotlib and skimage are slow to import.
        return importlib.util.find_spec(self.package) is not None

    def read(self) -> bytes:
        """The image file's bytes (PNG or JPEG), straight from the installed package."""
        return resources.files(self.package).joinpath(*self.resource.split("/")).read_bytes()


ASTRONAUT = Portrait("astronaut", "skimage", "data/astronaut.png", "scikit-image")
GRACE_HOPPER = Portrait("grace_hopper", "matplotlib", "mpl-data/sample_data/grace_hopper.jpg",
                        "matplotlib")
PORTRAITS = (ASTRONAUT, GRACE_HOPPER)


def available() -> list[Portrait]:
    """The sample portraits whose package is installed here."""
    return [p for p in PORTRAITS if p.installed()]
