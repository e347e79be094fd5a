"""Plain-language briefings: curated YAML in, accessible HTML and tagged PDF out."""

__version__ = "0.1.0"
