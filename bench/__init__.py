"""`make bench`: throughput and latency figures, each beside a baseline measured in the same run."""
