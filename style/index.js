import './base.css';
import './notebook-sql.css';
