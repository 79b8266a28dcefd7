"""The M/M/1 queue of crates/core/benches/kernel.rs, written in SimPy.

`cargo xtask bench` runs this with the parameters the Rust benchmark printed,
so both sides simulate the same queue for the same simulated time, and compares
events per second of wall time. It prints lines in the Rust benchmark's format:

    simpy mm1 params model=lean lambda=0.9 mu=1.0 seed=42 horizon_secs=700000 ...
    simpy mm1 events=1260431 seconds=4.2 events_per_sec=300000
    simpy mm1 sanity mean_response_secs=9.95 theory_secs=10.000 (1/(mu-lambda))

An event is counted the way archsim counts `Model::handle` calls: one per
customer arrival and one per departure, within the horizon. SimPy's own
bookkeeping events (process start-up, wake-ups, resource requests) are not
counted, so the comparison does not flatter the Rust kernel.

Two models are available:

- `lean` (the default, used for the comparison): one arrival process and one
  server process sharing a deque; SimPy's cheapest way to express the queue.
- `resource`: the textbook SimPy style, one process per customer queueing on a
  `simpy.Resource`; slower, shown for reference.

Only `env.run` is timed; the best of `--repeats` runs is reported.
"""

import argparse
import random
import sys
import time
from collections import deque

import simpy


class Tally:
    """Counts of what happened in one run."""

    __slots__ = ("arrivals", "departures", "response_sum", "response_count")

    def __init__(self):
        self.arrivals = 0
        self.departures = 0
        self.response_sum = 0.0
        self.response_count = 0


def build_lean(env, tally, lam, mu, warmup, rng):
    """An arrival process and a server process around one FIFO deque."""
    present = deque()  # arrival times; the front customer is in service
    idle = [None]  # the event the idle server waits on, if it is idle
    expo = rng.expovariate

    def arrivals():
        while True:
            yield env.timeout(expo(lam))
            present.append(env.now)
            tally.arrivals += 1
            wake = idle[0]
            if wake is not None:
                idle[0] = None
                wake.succeed()

    def server():
        while True:
            if not present:
                idle[0] = env.event()
                yield idle[0]
            yield env.timeout(expo(mu))
            arrived = present.popleft()
            tally.departures += 1
            if env.now >= warmup:
                tally.response_sum += env.now - arrived
                tally.response_count += 1

    env.process(arrivals())
    env.process(server())


def build_resource(env, tally, lam, mu, warmup, rng):
    """One process per customer, queueing on a one-slot simpy.Resource."""
    server = simpy.Resource(env, capacity=1)
    expo = rng.expovariate

    def customer():
        arrived = env.now
        with server.request() as turn:
            yield turn
            yield env.timeout(expo(mu))
        tally.departures += 1
        if env.now >= warmup:
            tally.response_sum += env.now - arrived
            tally.response_count += 1

    def arrivals():
        while True:
            yield env.timeout(expo(lam))
            tally.arrivals += 1
            env.process(customer())

    env.process(arrivals())


MODELS = {"lean": build_lean, "resource": build_resource}


def run_once(args):
    """Build and run one simulation; return its tally and the wall time of env.run."""
    env = simpy.Environment()
    tally = Tally()
    rng = random.Random(args.seed)
    MODELS[args.model](env, tally, args.lam, args.mu, args.warmup_secs, rng)
    started = time.perf_counter()
    env.run(until=args.horizon_secs)
    elapsed = time.perf_counter() - started
    return tally, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", choices=sorted(MODELS), default="lean")
    parser.add_argument("--lambda", dest="lam", type=float, default=0.9)
    parser.add_argument("--mu", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--horizon-secs", type=float, default=700_000)
    parser.add_argument("--warmup-secs", type=float, default=1_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--min-events", type=int, default=1_000_000)
    args = parser.parse_args()

    print(
        f"simpy mm1 params model={args.model} lambda={args.lam} mu={args.mu} "
        f"seed={args.seed} horizon_secs={args.horizon_secs:g} "
        f"warmup_secs={args.warmup_secs:g} repeats={args.repeats} "
        f"simpy_version={simpy.__version__}",
        flush=True,
    )
    best = None
    tally = None
    for _ in range(max(1, args.repeats)):
        tally, elapsed = run_once(args)
        best = elapsed if best is None else min(best, elapsed)
    events = tally.arrivals + tally.departures
    if events < args.min_events:
        sys.exit(f"only {events} events simulated; raise --horizon-secs")
    print(
        f"simpy mm1 events={events} seconds={best:.6f} "
        f"events_per_sec={events / best:.0f}"
    )
    print(f"simpy mm1 detail arrivals={tally.arrivals} departures={tally.departures}")
    mean = tally.response_sum / max(1, tally.response_count)
    theory = 1.0 / (args.mu - args.lam)
    print(
        f"simpy mm1 sanity mean_response_secs={mean:.3f} "
        f"theory_secs={theory:.3f} (1/(mu-lambda))"
    )


if __name__ == "__main__":
    main()
