// `react` for the client's tests: an empty module, so any import of React by the core would break them.
export {}
