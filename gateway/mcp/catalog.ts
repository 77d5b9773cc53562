// Which trusted documents are MCP tools, and for whom. An operation is a tool only when it is
// listed here AND its document is in the persisted-documents manifest the gateway loaded (found
// by operation name): the tools are exactly reviewed operations, never a query an assistant wrote.
//
// Left out on purpose: Login (its answer is an access token, which must never reach a model),
// Checkout (it takes payment details: a person confirms a payment in the portal), CaseUpdated (a
// subscription: a tool call has one answer) and CitizenProfileDeferred (@defer: same reason).

/** Who a tool is listed for. */
export type ToolAudience = 'citizen' | 'agent';

/** The signed-in citizen's own ids a tool variable may be filled from. */
export type OwnId = 'unifiedId' | 'contactId' | 'commerceCustomerId';

export interface ToolSpec {
  /** The operation's name in the manifest; also the tool's name. */
  operation: string;
  /** What the tool is for, as an assistant reads it (the schema's descriptions follow). */
  summary: string;
  for: readonly ToolAudience[];
  /**
   * For a citizen: variables (dotted paths into the variables) that name the caller. They are
   * filled from the principal and left out of the citizen's input schema, so a model never
   * chooses whose data a citizen's tool reads.
   */
  citizenOwn?: Readonly<Record<string, OwnId>>;
  /** For an agent: variables (dotted paths) the agent must give — the citizen it acts on. */
  agentRequires?: readonly string[];
}

export const TOOL_CATALOG: readonly ToolSpec[] = [
  {
    operation: 'Viewer',
    summary: 'Who is signed in: the session and the citizen, with how many cases they have.',
    for: ['citizen'],
  },
  {
    operation: 'CitizenProfile',
    summary:
      'The unified citizen: profile and insights (Data Cloud), recent cases (CRM), cart and orders (B2C Commerce) and the sign-in account (Identity).',
    for: ['citizen', 'agent'],
    citizenOwn: { id: 'unifiedId' },
  },
  {
    operation: 'CaseWithCitizen',
    summary:
      'A case by CRM id with its comments and who it is about. A citizen sees only their own cases; any other id answers null.',
    for: ['citizen', 'agent'],
  },
  {
    operation: 'CreateCase',
    summary: 'Opens a case (CRM) for the citizen.',
    for: ['citizen', 'agent'],
    citizenOwn: { 'input.contactId': 'contactId' },
    agentRequires: ['input.contactId'],
  },
  {
    operation: 'AddCaseComment',
    summary: 'Adds a public comment to a case. A citizen may comment only on their own cases.',
    for: ['citizen', 'agent'],
  },
  {
    operation: 'Products',
    summary: "Products of the agency's catalogue (permits, licences, fees) by id, with prices.",
    for: ['citizen', 'agent'],
  },
  {
    operation: 'AddCartItem',
    summary: "Adds a product to the signed-in citizen's active cart (B2C Commerce).",
    for: ['citizen'],
  },
  {
    operation: 'SegmentMembers',
    summary:
      'The members of a Data Cloud segment, each with their cases, cart and orders (agents only).',
    for: ['agent'],
  },
];
