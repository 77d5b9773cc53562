// Composition of whichever subgraph SDLs a side of the check has: schema/composition.ts.
export { composeSdls, type SubgraphSdls } from '../../schema/composition.js';
