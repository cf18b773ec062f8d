/** Example operations opened as GraphiQL's default tabs (the README shows the same ones). */

export const GRAPHIQL_TABS = [
  {
    query: `# Tables in the lake, with their current version and size
query Tables {
  tables { name location currentVersion partitionColumns rowCount sizeBytes fileCount }
}`,
  },
  {
    query: `# Typed rows of the demo logs table: filter, order, page
query RecentErrors {
  logs(where: { level: { eq: "ERROR" } }, orderBy: [{ field: timestamp, direction: DESC }], first: 20) {
    totalCount
    edges { cursor node { timestamp endpoint status response_time_ms message } }
    pageInfo { hasNextPage endCursor }
  }
}`,
  },
  {
    query: `# History and time travel
query History {
  table(name: "logs") {
    history(first: 5) { edges { node { version timestamp operation metrics { numOutputRows } } } }
    version(asOf: { version: 0 }) { version timestamp rowCount }
    diff(from: 0, to: 1) { filesAdded rowsAdded }
  }
}`,
  },
  {
    query: `# Change data feed: the rows one commit added or removed
query Changes {
  logsChanges(fromVersion: 1, toVersion: 1, first: 10) {
    totalCount
    edges { node { changeType commitVersion commitTimestamp row { timestamp endpoint status } } }
  }
}`,
  },
  {
    query: `# Canned analytics over the demo logs table
query Analytics {
  analytics(table: "logs") {
    errors(topN: 5) { endpoint errors requests errorRate p95ResponseTime }
    timeSeries(interval: "1h") { bucket requests errors p95ResponseTime }
    anomalies(interval: "5m") { bucket dimension metric observed expected score }
  }
}`,
  },
];
