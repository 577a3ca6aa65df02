"""What a worker counts for Prometheus: updates, handling time, the outbox, reminders, sends."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

# Telegram's answer behind each way a send can fail; timeouts and 5xx share one.
# Keyed by the sender's Failure values (plain strings, so the sender can import this module).
CODES = {
    "retry_after": "429",
    "forbidden": "403",
    "not_modified": "400",
    "not_found": "400",
    "moved": "400",
    "rejected": "400",
    "transient": "5xx_or_network",
}
# Handling takes milliseconds; the top buckets are there to show a stuck database.
BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class Metrics:
    """One worker's counters, in a registry of its own (tests run several side by side)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.received = Counter(
            "mend_updates_received", "Events recorded in the inbox, by kind", ["kind"], registry=r
        )
        self.processed = Counter(
            "mend_updates_processed", "Events handled by this worker, by kind", ["kind"], registry=r
        )
        self.failed = Counter(
            "mend_updates_failed",
            "Events that could not be handled (the user was told)",
            registry=r,
        )
        self.handling = Histogram(
            "mend_handling_seconds",
            "Time one event's handling transaction took",
            buckets=BUCKETS,
            registry=r,
        )
        self.outbox_depth = Gauge(
            "mend_outbox_depth", "Messages waiting to be sent (read when scraped)", registry=r
        )
        self.reminders_due = Gauge(
            "mend_reminders_due", "Reminders due and not yet fired (read when scraped)", registry=r
        )
        self.fired = Counter("mend_reminders_fired", "Reminders fired by this worker", registry=r)
        self.sent = Counter("mend_messages_sent", "Bot API calls that succeeded", registry=r)
        self.send_errors = Counter(
            "mend_send_errors",
            "Bot API calls that failed, by Telegram's code",
            ["code"],
            registry=r,
        )
        self.rate_waits = Counter(
            "mend_rate_limit_waits", "429 answers the sender waited out", registry=r
        )
        self.rate_wait_seconds = Counter(
            "mend_rate_limit_wait_seconds", "Seconds Telegram asked the sender to wait", registry=r
        )
        self.leader = Gauge(
            "mend_leader", "1 while this worker runs the reminder sweep and the sender", registry=r
        )

    def send_failed(self, failure: str, retry_after: float = 0.0) -> None:
        """Count a failed send; a 429 also counts as a wait."""
        self.send_errors.labels(CODES.get(failure, "other")).inc()
        if failure == "retry_after":
            self.rate_waits.inc()
            self.rate_wait_seconds.inc(max(retry_after, 0.0))

    def exposition(self) -> bytes:
        """Everything, in the Prometheus text format."""
        return generate_latest(self.registry)
