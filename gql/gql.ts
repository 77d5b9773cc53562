/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation AddCartItem($input: AddCartItemInput!) {\n  addCartItem(input: $input) {\n    cart {\n      id\n      itemCount\n      items {\n        id\n        quantity\n        product {\n          id\n          name\n        }\n      }\n      orderTotal {\n        amount\n        currencyCode\n      }\n    }\n    userErrors {\n      code\n      field\n      message\n    }\n  }\n}": typeof types.AddCartItemDocument,
    "mutation AddCaseComment($input: AddCaseCommentInput!) {\n  addCaseComment(input: $input) {\n    comment {\n      id\n      body\n    }\n    userErrors {\n      code\n      field\n      message\n    }\n  }\n}": typeof types.AddCaseCommentDocument,
    "subscription CaseUpdated($id: ID) {\n  caseUpdated(id: $id) {\n    kind\n    changedFields\n    case {\n      id\n      caseNumber\n      status\n      citizen {\n        displayName\n      }\n    }\n  }\n}": typeof types.CaseUpdatedDocument,
    "query CaseWithCitizen($id: ID!) {\n  case(id: $id) {\n    id\n    caseNumber\n    subject\n    status\n    comments {\n      id\n      body\n      createdAt\n    }\n    citizen {\n      id\n      displayName\n      email\n    }\n  }\n}": typeof types.CaseWithCitizenDocument,
    "mutation Checkout($input: CheckoutInput!) {\n  checkout(input: $input) {\n    order {\n      orderNo\n      status\n      paymentStatus\n      total {\n        amount\n        currencyCode\n      }\n      items {\n        quantity\n        product {\n          id\n          name\n        }\n      }\n    }\n    userErrors {\n      code\n      field\n      message\n    }\n  }\n}": typeof types.CheckoutDocument,
    "query CitizenProfileDeferred($id: ID!) {\n  citizen(id: $id) {\n    id\n    displayName\n    email\n    phone\n    account {\n      username\n      active\n      lastLoginAt\n    }\n    ...CitizenCommerce @defer(label: \"commerce\")\n  }\n}\n\nfragment CitizenCommerce on Citizen {\n  cart {\n    id\n    itemCount\n    orderTotal {\n      amount\n      currencyCode\n    }\n  }\n  orders(first: 5) {\n    totalCount\n    edges {\n      node {\n        orderNo\n        status\n        total {\n          amount\n          currencyCode\n        }\n      }\n    }\n  }\n}": typeof types.CitizenProfileDeferredDocument,
    "query CitizenProfile($id: ID!) {\n  citizen(id: $id) {\n    id\n    displayName\n    email\n    phone\n    address {\n      city\n      stateCode\n    }\n    insights {\n      lifetimeValue {\n        amount\n        currencyCode\n      }\n      engagementScore\n      benefitEligibility\n    }\n    segments {\n      apiName\n      name\n    }\n    cases(first: 5) {\n      totalCount\n      edges {\n        node {\n          id\n          caseNumber\n          subject\n          status\n          createdAt\n        }\n      }\n    }\n    cart {\n      id\n      itemCount\n      orderTotal {\n        amount\n        currencyCode\n      }\n    }\n    orders(first: 5) {\n      totalCount\n      edges {\n        node {\n          orderNo\n          status\n          total {\n            amount\n            currencyCode\n          }\n        }\n      }\n    }\n    account {\n      username\n      active\n      lastLoginAt\n    }\n  }\n}": typeof types.CitizenProfileDocument,
    "mutation CreateCase($input: CreateCaseInput!) {\n  createCase(input: $input) {\n    case {\n      id\n      caseNumber\n      subject\n      status\n    }\n    userErrors {\n      code\n      field\n      message\n    }\n  }\n}": typeof types.CreateCaseDocument,
    "mutation Login($username: String!, $password: String!) {\n  login(input: {username: $username, password: $password}) {\n    session {\n      accessToken\n      refreshToken\n      expiresAt\n      userId\n    }\n    userErrors {\n      code\n      field\n      message\n    }\n  }\n}": typeof types.LoginDocument,
    "query Products($ids: [ID!]!) {\n  products(ids: $ids) {\n    id\n    name\n    price {\n      amount\n      currencyCode\n    }\n  }\n}": typeof types.ProductsDocument,
    "query SegmentMembers($apiName: String!, $first: Int!) {\n  segment(apiName: $apiName) {\n    apiName\n    name\n    members(first: $first) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          displayName\n          cases(first: 3) {\n            totalCount\n            edges {\n              node {\n                caseNumber\n                status\n              }\n            }\n          }\n          cart {\n            itemCount\n          }\n          orders(first: 3) {\n            totalCount\n          }\n        }\n      }\n    }\n  }\n}": typeof types.SegmentMembersDocument,
    "query Viewer {\n  viewer {\n    session {\n      userId\n      username\n      expiresAt\n    }\n    citizen {\n      id\n      displayName\n      cases(first: 3) {\n        totalCount\n      }\n    }\n  }\n}": typeof types.ViewerDocument,
};
const documents: Documents = {
    "mutation AddCartItem($input: AddCartItemInput!) {\n  addCartItem(input: $input) {\n    cart {\n      id\n      itemCount\n      items {\n        id\n        quantity\n        product {\n          id\n          name\n        }\n      }\n      orderTotal {\n        amount\n        currencyCode\n      }\n    }\n    userErrors {\n      code\n      field\n      message\n    }\n  }\n}": types.AddCartItemDocument,
    "mutation AddCaseComment($input: AddCaseCommentInput!) {\n  addCaseComment(input: $input) {\n    comment {\n      id\n      body\n    }\n    userErrors {\n      code\n      field\n      message\n    }\n  }\n}": types.AddCaseCommentDocument,
    "subscription CaseUpdated($id: ID) {\n  caseUpdated(id: $id) {\n    kind\n    changedFields\n    case {\n      id\n      caseNumber\n      status\n      citizen {\n        displayName\n      }\n    }\n  }\n}": types.CaseUpdatedDocument,
    "query CaseWithCitizen($id: ID!) {\n  case(id: $id) {\n    id\n    caseNumber\n    subject\n    status\n    comments {\n      id\n      body\n      createdAt\n    }\n    citizen {\n      id\n      displayName\n      email\n    }\n  }\n}": types.CaseWithCitizenDocument,
    "mutation Checkout($input: CheckoutInput!) {\n  checkout(input: $input) {\n    order {\n      orderNo\n      status\n      paymentStatus\n      total {\n        amount\n        currencyCode\n      }\n      items {\n        quantity\n        product {\n          id\n          name\n        }\n      }\n    }\n    userErrors {\n      code\n      field\n      message\n    }\n  }\n}": types.CheckoutDocument,
    "query CitizenProfileDeferred($id: ID!) {\n  citizen(id: $id) {\n    id\n    displayName\n    email\n    phone\n    account {\n      username\n      active\n      lastLoginAt\n    }\n    ...CitizenCommerce @defer(label: \"commerce\")\n  }\n}\n\nfragment CitizenCommerce on Citizen {\n  cart {\n    id\n    itemCount\n    orderTotal {\n      amount\n      currencyCode\n    }\n  }\n  orders(first: 5) {\n    totalCount\n    edges {\n      node {\n        orderNo\n        status\n        total {\n          amount\n          currencyCode\n        }\n      }\n    }\n  }\n}": types.CitizenProfileDeferredDocument,
    "query CitizenProfile($id: ID!) {\n  citizen(id: $id) {\n    id\n    displayName\n    email\n    phone\n    address {\n      city\n      stateCode\n    }\n    insights {\n      lifetimeValue {\n        amount\n        currencyCode\n      }\n      engagementScore\n      benefitEligibility\n    }\n    segments {\n      apiName\n      name\n    }\n    cases(first: 5) {\n      totalCount\n      edges {\n        node {\n          id\n          caseNumber\n          subject\n          status\n          createdAt\n        }\n      }\n    }\n    cart {\n      id\n      itemCount\n      orderTotal {\n        amount\n        currencyCode\n      }\n    }\n    orders(first: 5) {\n      totalCount\n      edges {\n        node {\n          orderNo\n          status\n          total {\n            amount\n            currencyCode\n          }\n        }\n      }\n    }\n    account {\n      username\n      active\n      lastLoginAt\n    }\n  }\n}": types.CitizenProfileDocument,
    "mutation CreateCase($input: CreateCaseInput!) {\n  createCase(input: $input) {\n    case {\n      id\n      caseNumber\n      subject\n      status\n    }\n    userErrors {\n      code\n      field\n      message\n    }\n  }\n}": types.CreateCaseDocument,
    "mutation Login($username: String!, $password: String!) {\n  login(input: {username: $username, password: $password}) {\n    session {\n      accessToken\n      refreshToken\n      expiresAt\n      userId\n    }\n    userErrors {\n      code\n      field\n      message\n    }\n  }\n}": types.LoginDocument,
    "query Products($ids: [ID!]!) {\n  products(ids: $ids) {\n    id\n    name\n    price {\n      amount\n      currencyCode\n    }\n  }\n}": types.ProductsDocument,
    "query SegmentMembers($apiName: String!, $first: Int!) {\n  segment(apiName: $apiName) {\n    apiName\n    name\n    members(first: $first) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          displayName\n          cases(first: 3) {\n            totalCount\n            edges {\n              node {\n                caseNumber\n                status\n              }\n            }\n          }\n          cart {\n            itemCount\n          }\n          orders(first: 3) {\n            totalCount\n          }\n        }\n      }\n    }\n  }\n}": types.SegmentMembersDocument,
    "query Viewer {\n  viewer {\n    session {\n      userId\n      username\n      expiresAt\n    }\n    citizen {\n      id\n      displayName\n      cases(first: 3) {\n        totalCount\n      }\n    }\n  }\n}": types.ViewerDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation AddCartItem($input: AddCartItemInput!) {\n  addCartItem(input: $input) {\n    cart {\n      id\n      itemCount\n      items {\n        id\n        quantity\n        product {\n          id\n          name\n        }\n      }\n      orderTotal {\n        amount\n        currencyCode\n      }\n    }\n    userErrors {\n      code\n      field\n      message\n    }\n  }\n}"): (typeof documents)["mutation AddCartItem($input: AddCartItemInput!) {\n  addCartItem(input: $input) {\n    cart {\n      id\n      itemCount\n      items {\n        id\n        quantity\n        product {\n          id\n          name\n        }\n      }\n      orderTotal {\n        amount\n        currencyCode\n      }\n    }\n    userErrors {\n      code\n      field\n      message\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation AddCaseComment($input: AddCaseCommentInput!) {\n  addCaseComment(input: $input) {\n    comment {\n      id\n      body\n    }\n    userErrors {\n      code\n      field\n      message\n    }\n  }\n}"): (typeof documents)["mutation AddCaseComment($input: AddCaseCommentInput!) {\n  addCaseComment(input: $input) {\n    comment {\n      id\n      body\n    }\n    userErrors {\n      code\n      field\n      message\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription CaseUpdated($id: ID) {\n  caseUpdated(id: $id) {\n    kind\n    changedFields\n    case {\n      id\n      caseNumber\n      status\n      citizen {\n        displayName\n      }\n    }\n  }\n}"): (typeof documents)["subscription CaseUpdated($id: ID) {\n  caseUpdated(id: $id) {\n    kind\n    changedFields\n    case {\n      id\n      caseNumber\n      status\n      citizen {\n        displayName\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CaseWithCitizen($id: ID!) {\n  case(id: $id) {\n    id\n    caseNumber\n    subject\n    status\n    comments {\n      id\n      body\n      createdAt\n    }\n    citizen {\n      id\n      displayName\n      email\n    }\n  }\n}"): (typeof documents)["query CaseWithCitizen($id: ID!) {\n  case(id: $id) {\n    id\n    caseNumber\n    subject\n    status\n    comments {\n      id\n      body\n      createdAt\n    }\n    citizen {\n      id\n      displayName\n      email\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Checkout($input: CheckoutInput!) {\n  checkout(input: $input) {\n    order {\n      orderNo\n      status\n      paymentStatus\n      total {\n        amount\n        currencyCode\n      }\n      items {\n        quantity\n        product {\n          id\n          name\n        }\n      }\n    }\n    userErrors {\n      code\n      field\n      message\n    }\n  }\n}"): (typeof documents)["mutation Checkout($input: CheckoutInput!) {\n  checkout(input: $input) {\n    order {\n      orderNo\n      status\n      paymentStatus\n      total {\n        amount\n        currencyCode\n      }\n      items {\n        quantity\n        product {\n          id\n          name\n        }\n      }\n    }\n    userErrors {\n      code\n      field\n      message\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CitizenProfileDeferred($id: ID!) {\n  citizen(id: $id) {\n    id\n    displayName\n    email\n    phone\n    account {\n      username\n      active\n      lastLoginAt\n    }\n    ...CitizenCommerce @defer(label: \"commerce\")\n  }\n}\n\nfragment CitizenCommerce on Citizen {\n  cart {\n    id\n    itemCount\n    orderTotal {\n      amount\n      currencyCode\n    }\n  }\n  orders(first: 5) {\n    totalCount\n    edges {\n      node {\n        orderNo\n        status\n        total {\n          amount\n          currencyCode\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query CitizenProfileDeferred($id: ID!) {\n  citizen(id: $id) {\n    id\n    displayName\n    email\n    phone\n    account {\n      username\n      active\n      lastLoginAt\n    }\n    ...CitizenCommerce @defer(label: \"commerce\")\n  }\n}\n\nfragment CitizenCommerce on Citizen {\n  cart {\n    id\n    itemCount\n    orderTotal {\n      amount\n      currencyCode\n    }\n  }\n  orders(first: 5) {\n    totalCount\n    edges {\n      node {\n        orderNo\n        status\n        total {\n          amount\n          currencyCode\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CitizenProfile($id: ID!) {\n  citizen(id: $id) {\n    id\n    displayName\n    email\n    phone\n    address {\n      city\n      stateCode\n    }\n    insights {\n      lifetimeValue {\n        amount\n        currencyCode\n      }\n      engagementScore\n      benefitEligibility\n    }\n    segments {\n      apiName\n      name\n    }\n    cases(first: 5) {\n      totalCount\n      edges {\n        node {\n          id\n          caseNumber\n          subject\n          status\n          createdAt\n        }\n      }\n    }\n    cart {\n      id\n      itemCount\n      orderTotal {\n        amount\n        currencyCode\n      }\n    }\n    orders(first: 5) {\n      totalCount\n      edges {\n        node {\n          orderNo\n          status\n          total {\n            amount\n            currencyCode\n          }\n        }\n      }\n    }\n    account {\n      username\n      active\n      lastLoginAt\n    }\n  }\n}"): (typeof documents)["query CitizenProfile($id: ID!) {\n  citizen(id: $id) {\n    id\n    displayName\n    email\n    phone\n    address {\n      city\n      stateCode\n    }\n    insights {\n      lifetimeValue {\n        amount\n        currencyCode\n      }\n      engagementScore\n      benefitEligibility\n    }\n    segments {\n      apiName\n      name\n    }\n    cases(first: 5) {\n      totalCount\n      edges {\n        node {\n          id\n          caseNumber\n          subject\n          status\n          createdAt\n        }\n      }\n    }\n    cart {\n      id\n      itemCount\n      orderTotal {\n        amount\n        currencyCode\n      }\n    }\n    orders(first: 5) {\n      totalCount\n      edges {\n        node {\n          orderNo\n          status\n          total {\n            amount\n            currencyCode\n          }\n        }\n      }\n    }\n    account {\n      username\n      active\n      lastLoginAt\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateCase($input: CreateCaseInput!) {\n  createCase(input: $input) {\n    case {\n      id\n      caseNumber\n      subject\n      status\n    }\n    userErrors {\n      code\n      field\n      message\n    }\n  }\n}"): (typeof documents)["mutation CreateCase($input: CreateCaseInput!) {\n  createCase(input: $input) {\n    case {\n      id\n      caseNumber\n      subject\n      status\n    }\n    userErrors {\n      code\n      field\n      message\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Login($username: String!, $password: String!) {\n  login(input: {username: $username, password: $password}) {\n    session {\n      accessToken\n      refreshToken\n      expiresAt\n      userId\n    }\n    userErrors {\n      code\n      field\n      message\n    }\n  }\n}"): (typeof documents)["mutation Login($username: String!, $password: String!) {\n  login(input: {username: $username, password: $password}) {\n    session {\n      accessToken\n      refreshToken\n      expiresAt\n      userId\n    }\n    userErrors {\n      code\n      field\n      message\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Products($ids: [ID!]!) {\n  products(ids: $ids) {\n    id\n    name\n    price {\n      amount\n      currencyCode\n    }\n  }\n}"): (typeof documents)["query Products($ids: [ID!]!) {\n  products(ids: $ids) {\n    id\n    name\n    price {\n      amount\n      currencyCode\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query SegmentMembers($apiName: String!, $first: Int!) {\n  segment(apiName: $apiName) {\n    apiName\n    name\n    members(first: $first) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          displayName\n          cases(first: 3) {\n            totalCount\n            edges {\n              node {\n                caseNumber\n                status\n              }\n            }\n          }\n          cart {\n            itemCount\n          }\n          orders(first: 3) {\n            totalCount\n          }\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query SegmentMembers($apiName: String!, $first: Int!) {\n  segment(apiName: $apiName) {\n    apiName\n    name\n    members(first: $first) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          displayName\n          cases(first: 3) {\n            totalCount\n            edges {\n              node {\n                caseNumber\n                status\n              }\n            }\n          }\n          cart {\n            itemCount\n          }\n          orders(first: 3) {\n            totalCount\n          }\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Viewer {\n  viewer {\n    session {\n      userId\n      username\n      expiresAt\n    }\n    citizen {\n      id\n      displayName\n      cases(first: 3) {\n        totalCount\n      }\n    }\n  }\n}"): (typeof documents)["query Viewer {\n  viewer {\n    session {\n      userId\n      username\n      expiresAt\n    }\n    citizen {\n      id\n      displayName\n      cases(first: 3) {\n        totalCount\n      }\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;