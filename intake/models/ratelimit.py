from django.db import models


class RateLimitCounter(models.Model):
    """Requests counted in one fixed time window for one client: the database rate limiter.

    `intake.ratelimit` increments a row with one atomic SQL statement, so every
    worker process shares the count. Rows outlive their window only until the
    next new window starts somewhere.
    """

    bucket = models.CharField(
        max_length=100, unique=True, help_text="Scope, hashed client and window number."
    )
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True, help_text="When the window is over.")

    def __str__(self) -> str:
        return f"{self.bucket}: {self.count}"
