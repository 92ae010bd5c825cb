"""``python -m sim.teaching``: serve the teaching page (Mesa SolaraViz) on this machine.

    python -m sim.teaching                      # http://127.0.0.1:8765, opens a browser tab
    python -m sim.teaching --port 8800 --no-open

Runs ``solara run sim/teaching/app.py`` in production mode (no file watching) with Solara's usage
telemetry and version check off: the page needs no network and reaches none. Its JavaScript, CSS and fonts
come from the bundle ``solara-assets`` installs; Solara's server would fetch an asset missing from it from a
public CDN (jsdelivr) at run time, so the CDN it falls back on is set to that bundle itself (a ``file:`` URL
its HTTP client cannot fetch): a missing asset is a local 404, never a request to the network.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"


def solara_command(host: str, port: int, open_browser: bool) -> list[str]:
    return [sys.executable, "-m", "solara", "run", str(APP), "--host", host, "--port", str(port), "--production",
            "--open" if open_browser else "--no-open", "--no-check-version"]


def bundled_assets_url() -> str:
    """The solara-assets bundle (Solara's proxy cache, ``<prefix>/share/solara/cdn``) as a ``file:`` URL."""
    return Path(sys.prefix, "share", "solara", "cdn").as_uri() + "/"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sim.teaching", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: this machine only)")
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    parser.add_argument("--no-open", dest="open_browser", action="store_false", help="do not open a browser tab")
    args = parser.parse_args(argv)
    try:
        import solara  # noqa: F401
    except ModuleNotFoundError:
        sys.exit("error: the teaching page needs the [viz] extra: pip install -e '.[viz]'")
    env = dict(os.environ, SOLARA_TELEMETRY_MIXPANEL_ENABLE="false", SOLARA_ASSETS_CDN=bundled_assets_url())
    # the page imports sim from this checkout, also when run from elsewhere
    root = str(APP.parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    command = solara_command(args.host, args.port, args.open_browser)
    print(f"teaching page: http://{args.host}:{args.port}  (stop with Ctrl-C)", flush=True)
    os.execvpe(command[0], command, env)  # the server replaces this process (one PID to stop)


if __name__ == "__main__":
    main()
