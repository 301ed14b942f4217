// Imported first by main.ts. libuv sizes its thread pool on first use, and getaddrinfo
// (the DNS fallback for names only /etc/hosts knows) plus SQLite both run there: with the
// default 4 threads a few slow lookups stall the store. An operator's own value wins.
process.env.UV_THREADPOOL_SIZE ??= '16';
export {};
