DROP TABLE site_settings_version;
DROP TABLE site_settings;
