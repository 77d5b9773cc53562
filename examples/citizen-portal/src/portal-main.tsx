// Entry of the citizen portal (index.html).
import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApolloClient } from './apollo';
import { createSessionStore } from './session';
import { PortalApp } from './portal/portal-app';
import './styles.css';

const store = createSessionStore('c360.portal.session');
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApolloProvider client={createApolloClient(store)}>
      <PortalApp store={store} />
    </ApolloProvider>
  </StrictMode>,
);
