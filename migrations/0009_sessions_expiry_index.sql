-- The expired-sessions sweep reads sessions by whichever of their two expiries comes first.
CREATE INDEX `sessions_expiry_idx` ON `sessions` (min(`idle_expires_at`, `absolute_expires_at`));
