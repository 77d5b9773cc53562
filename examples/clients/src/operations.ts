// The operations the recipes send: the signed-in citizen, their profile with the commerce part
// deferred, opening a case (a retry-safe write) and a case's live updates.
export const VIEWER = /* GraphQL */ `
  query Viewer {
    viewer {
      citizen {
        id
        displayName
      }
    }
  }
`;

export const PROFILE_DEFERRED = /* GraphQL */ `
  query CitizenProfileDeferred($id: ID!) {
    citizen(id: $id) {
      id
      displayName
      ... @defer(label: "commerce") {
        orders(first: 5) {
          totalCount
        }
      }
    }
  }
`;

export const CREATE_CASE = /* GraphQL */ `
  mutation CreateCase($input: CreateCaseInput!) {
    createCase(input: $input) {
      case {
        id
        caseNumber
        status
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;

export const CASE_UPDATED = /* GraphQL */ `
  subscription CaseUpdated($id: ID) {
    caseUpdated(id: $id) {
      kind
      case {
        id
        status
      }
    }
  }
`;
