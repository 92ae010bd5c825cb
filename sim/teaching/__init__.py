"""The interactive teaching page (Mesa SolaraViz): ``python -m sim.teaching`` starts it.

``knobs`` declares the controls and plotted measures, ``model`` the Mesa-facing wrapper SolaraViz builds
from them, ``app`` the page itself. Needs the ``[viz]`` extra (``mesa[viz]``: Solara, Altair).
"""
