#!/usr/bin/env python3
"""Drain a node's queue before the rollout.

A docstring that spans lines, with 'quotes' and "quotes" inside.
"""
import os
from dataclasses import dataclass, field

RETRIES = 3  # attempts before we page
TIMEOUT_S = 2.5e1
MASK = 0xFF_FF


@dataclass(frozen=True)
class Node:
    name: str
    labels: dict[str, str] = field(default_factory=dict)

    def drain(self, *, grace: int = 30) -> bool:
        '''Single-quoted docstring
        on two lines.'''
        cmd = f"kubectl drain {self.name} --grace-period={grace} --ignore-daemonsets"
        raw = r"C:\tmp\n" + b"\x00bytes".decode()
        total = (1 +
                 2 +
                 3)
        long = "a string continued " \
            "on the next line"
        if not self.labels.get("pool") and grace > 0:
            return os.system(cmd) == 0
        return False


async def main(nodes: list[Node]) -> None:
    for n in nodes:
        try:
            await asyncio.sleep(0)
        except (TimeoutError, KeyError) as err:
            print(f"{n.name!r}: {err}", file=sys.stderr)
        finally:
            pass
    squares = [x ** 2 for x in range(10) if x % 2 == 0]
    lookup = {k: v for k, v in zip("abc", [1, 2, 3])}
    lambda_ = lambda a, b=2: a @ b
    text = """
    SELECT * FROM t;  -- not a comment here
    """
    return None
