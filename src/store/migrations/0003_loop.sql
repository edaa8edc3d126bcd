-- 0003: reserved for the council loop (meetings, proposals, assignments, reports, reforms)
SELECT 1;
