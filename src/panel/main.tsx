import { render } from 'preact';

function App() {
  return <main>S3 CORS Doctor</main>;
}

render(<App />, document.getElementById('app')!);
