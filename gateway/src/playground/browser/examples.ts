// The tabs the playground opens with (until the person has tabs of their own): STING's everyday operations,
// so a developer starts from working examples rather than a blank editor. Sign-in sets the session cookie, which
// every other tab (and the web app) then uses.
export const exampleTabs: { query: string; variables?: string }[] = [
  {
    query: `# Sign in. The gateway answers with the sting_session cookie (HttpOnly), so the other tabs run as you.
# Already signed in to the web app? Skip this: the playground shares its cookie.
mutation SignIn($email: String!, $password: String!) {
  login(email: $email, password: $password) {
    token
    expiresAt
    user { displayName role }
  }
}`,
    variables: JSON.stringify({ email: 'admin@example.com', password: '' }, null, 2),
  },
  {
    query: `# The honey jars you may read, newest first, with how many documents each holds and the newest five.
query HoneyJars($after: String) {
  honeyJars(first: 20, after: $after) {
    nodes {
      id
      name
      type
      owner { displayName }
      documents(first: 5) {
        totalCount
        nodes { id title fileType processingStatus chunkCount }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`,
  },
  {
    query: `# Ask Bee: start a conversation, then send a question into it and watch the answer in the next tab.
mutation StartConversation {
  startConversation(title: "Questions for Bee") { id }
}

mutation SendQuestion($conversationId: ID!, $question: String!) {
  sendMessage(conversationId: $conversationId, text: $question) { id text createdAt }
}`,
    variables: JSON.stringify(
      { conversationId: '', question: 'What do our documents say about hive temperature?' },
      null,
      2,
    ),
  },
  {
    query: `# Live: messages as they are added to a conversation (run it, then send a message from another tab).
subscription Messages($conversationId: ID!) {
  messageAdded(conversationId: $conversationId) { id role text createdAt }
}`,
    variables: JSON.stringify({ conversationId: '' }, null, 2),
  },
  {
    query: `# Live, administrators only: alerts as they are raised anywhere on the platform.
subscription Alerts {
  alertRaised(minSeverity: WARNING) { id severity title message source createdAt }
}`,
  },
];
