"""The charts: drawn with matplotlib, the same figures in the window and on paper.

Importing this package imports the parts of matplotlib the charts use, without one cost that
buys nothing here. As matplotlib defines each artist class (about a hundred, most of them while
``matplotlib.figure`` is imported) it writes the docstring of the class's ``set`` method: a table
of every settable property, built by ``matplotlib.artist.kwdoc`` inspecting the class. That text
serves ``help()`` only, and it took 0.1 s of every start that draws a chart here (a fifth of
matplotlib's import; a fifth of what one project's printed report costs beyond scoring). While
those modules are imported ``kwdoc`` writes an empty table instead; the original is put back at
once, so anything that calls it later gets matplotlib's own. Nothing a chart draws depends on it.
"""

from __future__ import annotations


def _import_matplotlib() -> None:
    import matplotlib.artist

    kwdoc = matplotlib.artist.kwdoc
    matplotlib.artist.kwdoc = lambda artist: ""  # type: ignore[assignment]
    try:
        import matplotlib.axes
        import matplotlib.backends.backend_agg
        import matplotlib.figure
    finally:
        matplotlib.artist.kwdoc = kwdoc


_import_matplotlib()
