-- Postback values may be up to 500 characters, transaction ids included.
ALTER TABLE conversion_txn ALTER COLUMN transaction_id TYPE VARCHAR(500);
