-- 0004: reserved for the direct channel (appeals)
SELECT 1;
