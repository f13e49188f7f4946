DROP FUNCTION hearth_rate_limit_hit(text[], bigint[], bigint[], bigint);
