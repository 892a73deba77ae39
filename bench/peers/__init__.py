"""What a user would write by hand, serving the same catalogue content from the same database:
the yardsticks of ``bench.bench_peers`` (their packages: the ``bench`` extra, never the runtime)."""
