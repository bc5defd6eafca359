// The tests run in UTC like the service; tests of time-zone independence set TZ themselves.
process.env.TZ = 'UTC';
