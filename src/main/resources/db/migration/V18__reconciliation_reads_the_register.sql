-- A reconciliation reads Informat's register of each day (its partner read absences?date=, silent corrections
-- included) instead of a snapshot of the change feed's history: the snapshot table goes.
DROP TABLE reconciliation_source;
