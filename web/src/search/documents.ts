// GraphQL documents of the search screen.
import { graphql } from '../gql';

export const SearchDocument = graphql(`
  query Search($query: String!, $honeyJarIds: [ID!], $first: Int) {
    search(query: $query, honeyJarIds: $honeyJarIds, first: $first) {
      score
      text
      highlights
      page
      headingPath
      chunkId
      document {
        id
        title
        fileType
      }
      honeyJar {
        id
        name
      }
    }
    searchCorrection(query: $query, honeyJarIds: $honeyJarIds) {
      query
      words {
        searched
      }
    }
  }
`);

export const JarChoicesDocument = graphql(`
  query JarChoices($first: Int, $after: String, $filter: HoneyJarFilter) {
    honeyJars(first: $first, after: $after, filter: $filter) {
      nodes {
        id
        name
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);
