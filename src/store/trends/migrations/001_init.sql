-- Every match as recorded. Raw rows are deleted after the retention period.
CREATE TABLE matches (
    at            INTEGER NOT NULL, -- unix seconds
    narrative_id  TEXT    NOT NULL,
    stance        TEXT    NOT NULL, -- promotes | debunks | neutral
    score         REAL    NOT NULL,
    post_id       TEXT    NOT NULL,
    platform      TEXT    NOT NULL,
    matched_words TEXT    NOT NULL, -- a JSON array of words
    text          TEXT              -- only with --record-text
);
CREATE INDEX matches_narrative_at ON matches (narrative_id, at);
CREATE INDEX matches_at ON matches (at);

-- Matches per narrative, hour and stance, upserted in the transaction that inserts the raw rows.
-- Kept when raw rows expire: a year of one narrative is 8,760 rows, so charts stay instant.
CREATE TABLE hourly (
    narrative_id TEXT    NOT NULL,
    hour         INTEGER NOT NULL, -- unix seconds at the start of the hour (UTC)
    promotes     INTEGER NOT NULL DEFAULT 0,
    debunks      INTEGER NOT NULL DEFAULT 0,
    neutral      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (narrative_id, hour)
) WITHOUT ROWID;
-- Charts over every narrative read a range of hours.
CREATE INDEX hourly_hour ON hourly (hour);
