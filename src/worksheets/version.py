"""The package version, in one place (the API, the PDFs' Creator, the manifest, --version)."""

__version__ = "0.1.0"
