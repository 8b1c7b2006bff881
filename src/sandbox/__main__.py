"""``python -m sandbox --port 8001``: serve the sandbox with uvicorn on 127.0.0.1."""

from __future__ import annotations

import argparse
import os


def main(argv: list[str] | None = None) -> None:
    import uvicorn

    from sandbox.app import create_app

    parser = argparse.ArgumentParser(prog="python -m sandbox", description="Ledgerport provider sandbox")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("SANDBOX_PORT", "8001")))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("SANDBOX_SEED", "1")))
    parser.add_argument(
        "--scale",
        action="append",
        default=[],
        metavar="COMPANY=VOUCHERS:FILES",
        help="seed a company (key or org number) with N vouchers and M files, e.g. 556036-0793=5000:3000",
    )
    parser.add_argument("--log-level", default=os.environ.get("SANDBOX_LOG_LEVEL", "warning"))
    args = parser.parse_args(argv)
    scale = {}
    for item in args.scale:
        company, _, sizes = item.partition("=")
        vouchers, _, files = sizes.partition(":")
        scale[company] = (int(vouchers), int(files or 0))
    app = create_app(seed=args.seed, scale=scale)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)


if __name__ == "__main__":
    main()
