DROP TABLE member_addresses;
