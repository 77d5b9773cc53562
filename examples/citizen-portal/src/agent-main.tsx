// Entry of the agent console (agent.html).
import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApolloClient } from './apollo';
import { createSessionStore } from './session';
import { AgentApp } from './agent/agent-app';
import './styles.css';

const store = createSessionStore('c360.agent.session');
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApolloProvider client={createApolloClient(store)}>
      <AgentApp store={store} />
    </ApolloProvider>
  </StrictMode>,
);
