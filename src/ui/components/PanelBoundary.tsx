// Keeps one failing panel from taking the page down: it shows what went wrong in place of the panel.
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  error: Error | null;
}

/** `what` names the part that failed in the message ("This panel" by default). */
export class PanelBoundary extends Component<{ children: ReactNode; what?: string }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('panel failed', error, info.componentStack);
  }

  override render() {
    if (this.state.error) {
      return (
        <p className="error" role="alert">
          {this.props.what ?? 'This panel'} failed: {this.state.error.message}. The rest of the page still works; reload to try again.
        </p>
      );
    }
    return this.props.children;
  }
}
