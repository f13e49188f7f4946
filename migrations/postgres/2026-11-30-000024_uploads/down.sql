DROP TABLE member_avatars;
DROP TABLE uploads;
