// The V8 settings STING's processes run with. They must be on the command line: V8 sizes its heap when the
// process starts, so setting them later (v8.setFlagsFromString) changes nothing.
// - A 16 MB young-generation semi-space. Node's default lets it grow to 64 MB under load, and the heap keeps
//   what it grew to. In the peer benchmark the gateway's RSS after load was 273 MB with it against 315 MB for
//   plain Apollo (which kept Node's default), serving 2.03x Apollo's requests/s; with Node's default it was 397
//   against 351 MB. What survives a full GC was the same for both (43 MB): the difference was room for garbage,
//   not data.
// `ops/bin/sting start` passes the same flags to the launcher's process (a test keeps the two lists equal); the
// launcher passes them to every subgraph process it starts.
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=16'];
