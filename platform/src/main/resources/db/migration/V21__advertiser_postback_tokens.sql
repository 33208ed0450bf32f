-- A postback token may be an advertiser's (issue 12): it then reaches only that advertiser's offers.
ALTER TABLE postback_token ADD COLUMN advertiser_id VARCHAR(64);
