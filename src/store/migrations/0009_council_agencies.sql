-- 0009: the agencies a council has given assignments to, as the executor
-- or a co-executor. A council's assignment list offers them in its agency
-- filter and names its rows' agencies from them, instead of reading the
-- whole registry on every page: at a national registry's size (hundreds of
-- akimats) the filter alone would pass the 60 KB bar of a public page.
-- Kept in the transaction that issues an assignment (assignments are never
-- deleted, and their agencies never change).
CREATE TABLE council_agencies (
  council_id BIGINT NOT NULL REFERENCES councils(id),
  agency_id BIGINT NOT NULL REFERENCES agencies(id),
  PRIMARY KEY (council_id, agency_id));
INSERT INTO council_agencies (council_id, agency_id)
  SELECT council_id, agency_id FROM assignments
  UNION SELECT a.council_id, e.agency_id FROM assignment_coexecutors e JOIN assignments a ON a.id = e.assignment_id;
