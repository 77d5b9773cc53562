// SOQL literals: the one quoting function of lib/salesforce.
export { soqlList, soqlString } from '../../lib/salesforce/soql.js';
