"""kcn-tracker: register, workflow, progress and maps for Khánh Hòa's zones and power projects.

Importing the package is cheap on purpose: heavy libraries (pandas, geopandas,
matplotlib) are imported only inside the functions that need them.
"""

__version__ = "0.1.0"
